// schemathesis, the property-based tester of the inventory REST API: pinned, in a venv under
// ~/.cache/polyfleet/schemathesis that .ci/run makes once (SCHEMATHESIS_VERSION there).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './run-process.js';

export const SCHEMATHESIS_VENV = join(homedir(), '.cache', 'polyfleet', 'schemathesis');
const VERSION = '4.32.5';

/** The venv's schemathesis, or an error saying how to get it: the test never skips. */
export function schemathesisBin(): string {
  if (!existsSync(join(SCHEMATHESIS_VENV, '.installed'))) {
    throw new Error(
      `schemathesis is not installed in ${SCHEMATHESIS_VENV}: run .ci/run once, or ` +
        `python3 -m venv ${SCHEMATHESIS_VENV} && ${SCHEMATHESIS_VENV}/bin/pip install schemathesis==${VERSION} && echo ${VERSION} > ${SCHEMATHESIS_VENV}/.installed`,
    );
  }
  return join(SCHEMATHESIS_VENV, 'bin', 'schemathesis');
}

/**
 * Runs schemathesis against the API the document describes: every operation with generated
 * inputs (valid and not), checking that no answer is a 5xx and each one matches the document
 * (status, content type, body schema). Seeded, so a failure can be replayed.
 */
export async function schemathesis(schemaUrl: string, baseUrl: string, headers: Readonly<Record<string, string>>, cwd: string): Promise<{ code: number; output: string }> {
  const args = [
    'run',
    schemaUrl,
    '--url',
    baseUrl,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
    '--max-examples',
    '40',
    '--seed',
    '1',
    ...Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
  ];
  const r = await runProcess(schemathesisBin(), args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.code, output: `${r.stdout}${r.stderr}` };
}
