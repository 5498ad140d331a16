/**
 * The IAM policy template for the Worker's user (infra/warta-worker-policy.json,
 * quoted in docs/deploy.md and the README) allows exactly the DynamoDB actions
 * the request path sends: every `new XCommand(` in src/, except the operator-only
 * modules (table creation, check:store's scan), maps to one allowed action, and
 * nothing else is allowed. Its resource is one table, with placeholders left to fill.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Modules only `npm start`, `npm run dev:worker` and `npm run check:store` use, never the Worker's request path. */
const OPERATOR_ONLY = new Set(['src/store/table.ts', 'src/store/consistency.ts']);
/** lib-dynamodb command name → IAM action. */
const ACTION_OF: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
};

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('the Worker IAM policy template', () => {
  const policy = JSON.parse(readFileSync('infra/warta-worker-policy.json', 'utf8')) as { Statement: { Effect: string; Action: string[]; Resource: string }[] };

  it('allows exactly the actions of the commands the request path sends', () => {
    const commands = new Set<string>();
    for (const file of sources('src')) {
      if (OPERATOR_ONLY.has(file)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(/new ([A-Z][A-Za-z]+Command)\(/g)) commands.add(m[1]!);
    }
    expect([...commands].filter((c) => !(c in ACTION_OF))).toEqual([]);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]!.Effect).toBe('Allow');
    expect([...policy.Statement[0]!.Action].sort()).toEqual([...commands].map((c) => ACTION_OF[c]!).sort());
  });

  it('names one table, with the placeholders docs/deploy.md says to replace', () => {
    expect(policy.Statement[0]!.Resource).toBe('arn:aws:dynamodb:<REGION>:<ACCOUNT_ID>:table/<TABLE>');
    const guide = readFileSync('docs/deploy.md', 'utf8');
    for (const placeholder of ['<REGION>', '<ACCOUNT_ID>', '<TABLE>']) expect(guide).toContain(`\`${placeholder}\``);
    expect(guide).toContain(readFileSync('infra/warta-worker-policy.json', 'utf8').trim());
  });
});
