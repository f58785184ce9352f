// Types of bin/bundled-packages.js, for the TypeScript that imports it (bench/controllers-build.ts).
export declare const BUNDLED: readonly string[];
export declare const REQUIRE_BANNER: string;
export declare function bundledManifests(root: string): string[];
