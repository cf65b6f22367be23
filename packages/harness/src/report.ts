// A plain-text account of an action run, for a terminal or a failing test's message: how each step
// ended, what it produced and what it reported. Secrets the action masked stay masked here.
import { applyMasks, type ActionRun, type Annotation, type StepRun } from './runner.js';

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}

function location(annotation: Annotation): string {
  const { file, line, col } = annotation.properties;
  if (!file) return '';
  return ` ${[file, line, line ? col : undefined].filter(Boolean).join(':')}`;
}

function formatStep(title: string, step: StepRun): string {
  const lines = [`${title}: exit code ${step.exitCode} (${step.conclusion}) in ${step.durationMs} ms${step.timedOut ? ', timed out' : ''}`];
  const outputs = Object.entries(step.outputs);
  if (outputs.length > 0) {
    lines.push('  outputs:');
    for (const [name, value] of outputs) lines.push(`    ${name}: ${indent(value, `    ${' '.repeat(name.length + 2)}`)}`);
  }
  if (step.annotations.length > 0) {
    lines.push('  annotations:');
    for (const annotation of step.annotations) {
      const heading = annotation.properties.title ? `${annotation.properties.title}: ` : '';
      lines.push(`    ${annotation.level}${location(annotation)}: ${heading}${indent(annotation.message, '      ')}`);
    }
  }
  if (step.summary.trim() !== '') {
    lines.push('  summary:', `    ${indent(step.summary.trimEnd(), '    ')}`);
  }
  if (step.stderr.trim() !== '') {
    lines.push('  stderr:', `    ${indent(step.stderr.trimEnd(), '    ')}`);
  }
  return lines.join('\n');
}

/** A readable report of a run: each step's exit code, outputs, annotations, summary and stderr. */
export function formatRun(run: ActionRun): string {
  const masks = [...(run.pre?.masks ?? []), ...run.masks, ...(run.post?.masks ?? [])];
  const sections: string[] = [];
  if (run.pre) sections.push(formatStep('pre', run.pre));
  sections.push(formatStep('main', run));
  if (run.postCondition) {
    const title = `post (${run.postCondition.expression})`;
    sections.push(run.post ? formatStep(title, run.post) : `${title}: skipped, the condition was false`);
  }
  return applyMasks(sections.join('\n\n'), masks);
}
