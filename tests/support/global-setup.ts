/** Global test setup: placeholder until the embedded store lands. */
export default async function setup(): Promise<void> {}
