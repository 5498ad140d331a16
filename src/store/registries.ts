/** Category and institution registries (`R#category`, `R#institution`). */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './db.js';
import { registryKey, registryPk, type RegistryKind } from './keys.js';
import { batchGetAll } from './batch.js';
import { queryPartition } from './query.js';
import type { Category, Institution } from '../model/schemas.js';

/** A registry entry of either kind. */
export type RegistryEntry<K extends RegistryKind> = K extends 'category' ? Category : Institution;

/** Creates or replaces a registry entry (serves PUT /api/categories/:slug and /api/institutions/:slug). */
export async function putRegistryEntry<K extends RegistryKind>(db: Db, kind: K, entry: RegistryEntry<K>): Promise<void> {
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...registryKey(kind, entry.slug), ...entry } }));
}

/** Every entry of a registry, by slug (serves GET of both lists, the index page and OPML). */
export async function listRegistry<K extends RegistryKind>(db: Db, kind: K): Promise<RegistryEntry<K>[]> {
  const items = await queryPartition(db, registryPk(kind));
  return items.map(strip) as RegistryEntry<K>[];
}

/** The entries with these slugs that exist (serves the unknown-slug check of article writes and feed titles). */
export async function getRegistryEntries<K extends RegistryKind>(db: Db, kind: K, slugs: string[]): Promise<Map<string, RegistryEntry<K>>> {
  if (!slugs.length) return new Map();
  const items = await batchGetAll(db, slugs.map((s) => registryKey(kind, s)));
  return new Map(items.map((i) => [String(i.sk), strip(i) as RegistryEntry<K>]));
}

function strip(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
}
