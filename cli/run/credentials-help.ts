/** How standalone commands find cloud credentials; the same words in `run --help` and `create --help`. */
export const CREDENTIALS_HELP = `Credentials: each provider account of a Strategy names where its credentials come from, never the
values themselves: \`credentials: {token: "\${env.DO_TOKEN}"}\` reads an environment variable of this
process; \`credentials: {serviceAccountKey: "\${file:keys/gcp.json}"}\` reads a file (one trailing
newline dropped; a relative path is relative to the directory polyfleet was started in).
credentialsSecretRef is for a cluster (polyfleet controller) and is refused here. Keys: aws
accessKeyId + secretAccessKey (none: the AWS SDK's own chain), gcp serviceAccountKey or accessToken,
digitalocean token.
`;
