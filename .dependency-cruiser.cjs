// The folder layers of docs/architecture.md ("Folders and what each may import") as a lint rule:
// each folder imports only the folders listed for it below. Tests and benchmarks may reach anything.
const ours = '^(api|placement|providers|controllers|runtime|inventory|cli|web)/';
const notTest = '\\.test\\.ts$';

/** Folder → the folders of ours it may import (besides itself). */
const allowed = {
  api: [],
  placement: [],
  providers: ['api'],
  runtime: ['api'],
  controllers: ['api', 'placement', 'providers', 'runtime'],
  inventory: ['api', 'runtime'],
  web: ['api', 'runtime'],
  cli: ['api', 'placement', 'providers', 'controllers', 'runtime', 'inventory', 'web'],
};

const layerRules = Object.entries(allowed).map(([folder, deps]) => ({
  name: `${folder}-layer`,
  comment: `${folder}/ may import only ${deps.length ? deps.join(', ') : 'nothing else of ours'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: `^${folder}/`, pathNot: notTest },
  to: { path: ours, pathNot: `^(${[folder, ...deps].join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'api-imports-zod-only',
      comment: 'api/ is the source of truth and depends on zod alone; only its generator writes files',
      severity: 'error',
      from: { path: '^api/', pathNot: `${notTest}|^api/gen/` },
      to: { dependencyTypes: ['npm', 'npm-dev', 'core'], pathNot: 'node_modules/zod/' },
    },
    {
      name: 'placement-is-pure',
      comment: 'placement/ imports no package and nothing of ours',
      severity: 'error',
      from: { path: '^placement/', pathNot: notTest },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-production-import-of-tests',
      severity: 'error',
      from: { pathNot: `${notTest}|^test/|^bench/` },
      to: { path: `${notTest}|^test/` },
    },
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
