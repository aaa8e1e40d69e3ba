import packageJson from '../../package.json' with { type: 'json' };

/** The package's version, bundled in at build time (the bundle runs without package.json at hand). */
export const VERSION: string = packageJson.version;
