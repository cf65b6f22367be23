// Types of scripts/bundle.js, for the tests of what the build does to ncc's output.
export declare function bundle(entry: string, outDir: string, options?: { node?: string; license?: boolean; timeoutMs?: number }): string;
export declare function parenthesizeFactories(code: string): string;
export declare function moduleFactories(code: string): { start: number; end: number; parenthesized: boolean }[];
