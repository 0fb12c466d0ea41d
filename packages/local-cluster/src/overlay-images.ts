/** The tag of the selenium images the overlays name (stand-ins built here: no registry can be pulled from). */
export const SELENIUM_TAG = '4.48.0-20260905';

/** An image the overlays run, and the script that builds it into buildah's storage on this machine. */
export interface OverlayImage {
  /** As a manifest names it, e.g. `scrapegrid/worker:0.1.0`; built as `localhost/<image>`. */
  readonly image: string;
  /** The command (repository-relative script, then arguments) that builds it; each is cached by content. */
  readonly build: readonly string[];
  /** The official image this one stands in for (assembled here from Debian), when it is a stand-in. */
  readonly standinFor?: string;
  /** How it differs from a release image, for the `images` command's output. */
  readonly note?: string;
}

/**
 * Every image the overlays (and the demo) run on the local cluster. Ours come from images/<name>
 * (scripts/build-images.sh) on the stand-in base images; the selenium and postgres images are
 * stand-ins: no registry can be pulled from here.
 */
export const OVERLAY_IMAGES: readonly OverlayImage[] = [
  ...['worker', 'pod-tools', 'grid-exporter'].map((name) => ({
    image: `scrapegrid/${name}:0.1.0`,
    build: ['scripts/build-images.sh', '--standin-bases', name],
    note: 'ours, built on the stand-in base images',
  })),
  {
    image: 'scrapegrid/demo-site:0.1.0',
    build: ['images/demo-site/build-demo-site.sh'],
    note: 'the bundled demo site, for overlays/demo only',
  },
  ...['hub', 'node-chrome'].map((role) => ({
    image: `selenium/${role}:${SELENIUM_TAG}`,
    build: ['images/standin/selenium/build-selenium-standins.sh'],
    standinFor: `selenium/${role}:${SELENIUM_TAG}`,
  })),
  {
    image: 'postgres:15-bookworm',
    build: ['images/standin/postgres/build-postgres-standin.sh'],
    standinFor: 'postgres:15-bookworm',
  },
];
