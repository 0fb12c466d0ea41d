/** How to reach one Grid endpoint (a hub/router or a node): the one options type of this package. */
export interface GridOptions {
  /**
   * Base URL, e.g. http://selenium-hub:4444 or http://127.0.0.1:5555 (a sub path is kept).
   * Credentials in it (http://user:password@hub:4444) are taken as basic auth and removed from
   * every URL the client logs or reports; they may not be combined with `auth`.
   */
  readonly url: string;
  /** Sent as X-REGISTRATION-SECRET on every call; empty when the Grid has none. */
  readonly registrationSecret?: string | undefined;
  readonly auth?: GridAuth | undefined;
  /** PEM text of CAs to trust for https, besides the built-in roots. */
  readonly ca?: string | undefined;
  /** Accept any TLS certificate: only when asked for explicitly. */
  readonly insecure?: boolean | undefined;
  /** Upper bound of every call (connect, headers, body); a call may ask for less. Default 3000. */
  readonly timeoutMs?: number | undefined;
  /**
   * What the program calls the secret and the credentials (e.g. SE_REGISTRATION_SECRET), so that a
   * 401 names the setting to fix.
   */
  readonly settingNames?: { readonly registrationSecret?: string; readonly auth?: string } | undefined;
}

export type GridAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

/** Per call: a shorter timeout (e.g. what is left of a deadline) and the caller's abort signal. */
export interface CallOptions {
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}
