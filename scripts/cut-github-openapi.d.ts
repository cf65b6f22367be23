// Types of scripts/cut-github-openapi.js, for the test that checks the committed cut.
export declare const OPERATIONS: string[];
export declare const SUBSET_PATH: string;
/** The cut of the installed @octokit/openapi, as the text of testbed/github/openapi-subset.json. */
export declare function cutGithubOpenapi(): string;
