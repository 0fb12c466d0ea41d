/** Objects as one `kind: List` document, for `kubectl apply|delete -f -` on standard input. */
export function kubeList(objects: readonly object[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}
