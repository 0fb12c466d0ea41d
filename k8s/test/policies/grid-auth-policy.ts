import { describeObject } from '../k8s-object.ts';
import { type ContainerInPod, containersIn, imageName } from '../pod-templates.ts';
import { findObject } from './find-object.ts';
import type { Policy } from './policy.ts';

/**
 * Every Grid is authenticated and every client presents the credentials the hub reads, from the
 * same Secret key, through the environment (never a flag: flags show in `ps`):
 * - the shared hub (a Deployment) has router basic auth; KEDA's selenium-grid triggers
 *   (TriggerAuthentication username/password), grid-exporter (GRID_EXPORTER_USERNAME/PASSWORD)
 *   and the nodes' drain-hook (SE_ROUTER_USERNAME/PASSWORD) use it; nodes present the hub's
 *   registration secret;
 * - a pod with its own hub and node (the scrape Job) gives both the same registration secret.
 */
export const gridAuthPolicy: Policy = {
  name: 'every Grid authenticated, every client with the same Secret keys',
  check: (objects) => {
    const problems: string[] = [];
    const containers = containersIn(objects);
    for (const c of containers) {
      const flags = [...(c.container.command ?? []), ...(c.container.args ?? [])].filter((a: string) =>
        /^--(password|token|registration-secret|username)\b/.test(String(a)),
      );
      if (flags.length > 0)
        problems.push(`${c.where}: a credential on the command line (${flags.join(' ')})`);
    }
    const hubs = containers.filter((c) => imageName(c.container.image ?? '') === 'selenium/hub');
    for (const hub of hubs) {
      const podmates = containers.filter((c) => c.pod.owner === hub.pod.owner && c !== hub);
      const shared = hub.pod.owner.kind === 'Deployment';
      const registration = ref(hub, 'SE_REGISTRATION_SECRET');
      if (registration === undefined) problems.push(`${hub.where}: no registration secret from a Secret`);
      const nodes = shared
        ? containers.filter((c) => /^selenium\/node-/.test(imageName(c.container.image ?? '')))
        : podmates.filter((c) => /^selenium\/node-/.test(imageName(c.container.image ?? '')));
      for (const node of nodes) {
        if (ref(node, 'SE_REGISTRATION_SECRET') !== registration || registration === undefined)
          problems.push(`${node.where}: SE_REGISTRATION_SECRET is not the hub's`);
      }
      if (!shared) continue;
      const user = ref(hub, 'SE_ROUTER_USERNAME');
      const password = ref(hub, 'SE_ROUTER_PASSWORD');
      if (user === undefined || password === undefined) {
        problems.push(`${hub.where}: no router basic auth from a Secret`);
        continue;
      }
      for (const node of nodes) {
        if (ref(node, 'SE_ROUTER_USERNAME') !== user || ref(node, 'SE_ROUTER_PASSWORD') !== password)
          problems.push(`${node.where}: drain-hook lacks the hub's router credentials`);
      }
      for (const exporter of containers.filter(
        (c) => imageName(c.container.image ?? '') === 'scrapegrid/grid-exporter',
      )) {
        if (
          ref(exporter, 'GRID_EXPORTER_USERNAME') !== user ||
          ref(exporter, 'GRID_EXPORTER_PASSWORD') !== password
        )
          problems.push(`${exporter.where}: lacks the hub's router credentials`);
      }
      for (const scaled of objects.filter((o) => o.kind === 'ScaledObject')) {
        for (const trigger of scaled.spec.triggers ?? []) {
          if (trigger.type !== 'selenium-grid') continue;
          const auth = objects.find(
            (o) => o.kind === 'TriggerAuthentication' && o.metadata.name === trigger.authenticationRef?.name,
          );
          const param = (name: string) => {
            const target = (auth?.spec?.secretTargetRef ?? []).find(
              (t: { parameter: string }) => t.parameter === name,
            );
            return target && `${target.name}/${target.key}`;
          };
          if (auth === undefined || param('username') !== user || param('password') !== password)
            problems.push(
              `${describeObject(scaled)}: its selenium-grid trigger lacks the hub's router credentials`,
            );
        }
      }
    }
    return problems;
  },
  counterExample: {
    variant: 'grid-keda-exporter+optional',
    breakIt(objects) {
      findObject(objects, 'Deployment', 'grid-exporter').spec.template.spec.containers[0].args.push(
        '--password=x',
      );
      const auth = findObject(objects, 'TriggerAuthentication', 'selenium-hub-router');
      auth.spec.secretTargetRef.pop();
      const node = findObject(objects, 'Deployment', 'selenium-node-edge').spec.template.spec.containers[0];
      node.env = node.env.filter((e: { name: string }) => e.name !== 'SE_ROUTER_PASSWORD');
    },
  },
};

// --- internal ---

/** `secret/key` of an env var taken from a Secret, else undefined (a literal value does not count). */
function ref(c: ContainerInPod, name: string): string | undefined {
  const entry = (c.container.env ?? []).find((e: { name: string }) => e.name === name);
  const key = entry?.valueFrom?.secretKeyRef;
  return key ? `${key.name}/${key.key}` : undefined;
}
