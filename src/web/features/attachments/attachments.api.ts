import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  deleteAttachment,
  listAttachments,
  uploadAttachment,
  verifyAttachment,
} from '../../../shared/attachments/attachments.contract.ts';
import {
  type Attachment,
  AttachmentSchema,
  type AttachmentTarget,
} from '../../../shared/attachments/attachments.schemas.ts';
import { ProblemSchema } from '../../../shared/common/common.schemas.ts';
import { ApiError, buildPath, buildQuery, call } from '../../lib/api-client.ts';

export const attachmentKeys = {
  all: ['attachments'] as const,
  list: (target: AttachmentTarget) => [...attachmentKeys.all, 'list', target.entityType, target.entityId] as const,
};

export function useAttachments(target: AttachmentTarget, enabled = true) {
  return useInfiniteQuery({
    queryKey: attachmentKeys.list(target),
    queryFn: ({ pageParam, signal }) =>
      call(listAttachments, { query: { ...target, limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export const contentUrl = (a: Pick<Attachment, 'id'>) =>
  buildPath(`${uploadAttachment.path}/:id/content`, { id: a.id });
export const thumbnailUrl = (a: Pick<Attachment, 'id'>) =>
  buildPath(`${uploadAttachment.path}/:id/thumbnail`, { id: a.id });

/**
 * Sends one file as multipart/form-data (a part named `file`). Same rules as `call`: same-origin
 * cookies (the browser marks the request same-site, which is what the server's CSRF check wants), and a
 * failed answer becomes an {@link ApiError} with the problem document.
 */
export async function uploadFile(target: AttachmentTarget, file: File, signal?: AbortSignal): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  const init: RequestInit = {
    method: uploadAttachment.method,
    headers: { accept: 'application/json, application/problem+json' },
    credentials: 'same-origin',
    body: form,
  };
  if (signal) init.signal = signal;
  let response: Response;
  try {
    response = await fetch(uploadAttachment.path + buildQuery(target), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ type: 'about:blank#network', title: 'Network error', status: 0 });
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const problem = ProblemSchema.safeParse(json);
    throw new ApiError(
      problem.success
        ? { ...problem.data, status: response.status }
        : { type: 'about:blank', title: response.statusText || `HTTP ${response.status}`, status: response.status },
    );
  }
  const parsed = AttachmentSchema.safeParse(json);
  if (!parsed.success) throw new ApiError({ type: 'about:blank', title: 'Unexpected answer', status: 502 });
  return parsed.data;
}

export function useUploadAttachment(target: AttachmentTarget) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => uploadFile(target, file),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: attachmentKeys.list(target) }),
  });
}

export function useDeleteAttachment(target: AttachmentTarget) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: Pick<Attachment, 'id' | 'version'>) =>
      call(deleteAttachment, { params: { id: a.id }, query: { version: a.version } }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: attachmentKeys.list(target) }),
  });
}

export function useVerifyAttachment() {
  return useMutation({ mutationFn: (id: string) => call(verifyAttachment, { params: { id } }) });
}
