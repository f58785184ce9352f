import { AuthorizationV1Api, V1SelfSubjectAccessReview, V1SelfSubjectAccessReviewSpec, type KubeConfig } from '@kubernetes/client-node';
import { apiFailure } from '../../store/kube/api-errors.js';
import type { ResourceAttributes } from '../access.js';
import { reviewAttributes } from './resource-attributes.js';

/**
 * Whether the kubeconfig's own user may do something, as the API server decides it for kubectl
 * (`kubectl auth can-i`): a SelfSubjectAccessReview, which every authenticated user may create.
 * For a command that acts with the user's own rights and must know before it starts that all of
 * them hold (an export with --secrets: all or nothing).
 */
export function selfAccessReview(kubeConfig: KubeConfig): (attributes: ResourceAttributes) => Promise<boolean> {
  const authz = kubeConfig.makeApiClient(AuthorizationV1Api);
  return async (a) => {
    const spec = new V1SelfSubjectAccessReviewSpec();
    spec.resourceAttributes = reviewAttributes(a);
    const review = new V1SelfSubjectAccessReview();
    review.apiVersion = 'authorization.k8s.io/v1';
    review.kind = 'SelfSubjectAccessReview';
    review.spec = spec;
    try {
      const answer = await authz.createSelfSubjectAccessReview({ body: review });
      return answer.status?.allowed === true && answer.status.denied !== true;
    } catch (error) {
      const failure = apiFailure(error);
      throw new Error(`asking the API server whether you may ${a.verb} ${a.resource} in namespace "${a.namespace}" failed: ${failure === undefined ? String(error) : `HTTP ${failure.code} ${failure.status.message ?? ''}`}`);
    }
  };
}
