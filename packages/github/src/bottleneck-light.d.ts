// The light build of Bottleneck (no Redis clustering), the one octokit's throttling and retry plugins
// load; it ships without its own declarations.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
