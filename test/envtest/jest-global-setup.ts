export default async function globalSetup(): Promise<void> {
  throw new Error('envtest harness not built yet');
}
