// Loads GitHub's @actions/workflow-parser. Its modules import its JSON schema without
// `with { type: 'json' }`, which plain Node refuses (ERR_IMPORT_ATTRIBUTE_MISSING); a bundle and
// jest load it as is. So the package is imported as is first, and only where Node refuses it is an
// import hook added that gives those JSON imports alone the attribute, and the import tried again.
// (Jest refuses module hooks, so the hook cannot simply always be registered.)
import { registerHooks } from 'node:module';

type WorkflowParser = typeof import('@actions/workflow-parser');

let loading: Promise<WorkflowParser> | undefined;

function addJsonAttribute(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      const schema = /\/@actions\/workflow-parser\/dist\/[^/]+\.json$/.test(resolved.url);
      if (!schema || context.importAttributes.type === 'json') return resolved;
      return { ...resolved, importAttributes: { ...context.importAttributes, type: 'json' } };
    }
  });
}

export function loadWorkflowParser(): Promise<WorkflowParser> {
  loading ??= import('@actions/workflow-parser').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_IMPORT_ATTRIBUTE_MISSING') throw error;
    addJsonAttribute();
    return import('@actions/workflow-parser');
  });
  return loading;
}
