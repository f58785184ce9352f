import { V1ResourceAttributes } from '@kubernetes/client-node';
import type { ResourceAttributes } from '../access.js';

/** What is asked about, as an access review (SubjectAccessReview or SelfSubjectAccessReview) carries it. */
export function reviewAttributes(a: ResourceAttributes): V1ResourceAttributes {
  const attributes = new V1ResourceAttributes();
  attributes.verb = a.verb;
  attributes.group = a.group;
  attributes.resource = a.resource;
  attributes.namespace = a.namespace;
  if (a.name !== undefined) attributes.name = a.name;
  return attributes;
}
