// tough-cookie 4 ships no type declarations: the part of its API smoke-test uses.
declare module 'tough-cookie' {
  export class Cookie {
    key: string;
    value: string;
  }
  export class CookieJar {
    /** Stores a Set-Cookie header received from `url`; with ignoreError a cookie the rules refuse is dropped (undefined). */
    setCookieSync(setCookie: string, url: string, options?: { ignoreError?: boolean }): Cookie | undefined;
    /** The Cookie header a request to `url` carries now (domain, path, expiry and Secure applied). */
    getCookieStringSync(url: string): string;
  }
}
