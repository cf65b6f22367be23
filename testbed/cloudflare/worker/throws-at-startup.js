// A Worker that cannot start: its top level throws, so Cloudflare refuses the upload (API code 10021).
throw new Error('missing configuration: this Worker throws at start-up');

export default {
  async fetch() {
    return new Response('unreachable');
  }
};
