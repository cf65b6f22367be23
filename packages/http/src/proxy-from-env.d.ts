// proxy-from-env ships no type declarations.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY/ALL_PROXY honouring NO_PROXY, or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
