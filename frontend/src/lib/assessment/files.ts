/**
 * Files handed in: the kinds an assignment may accept, and what is clearly wrong with a
 * bundle of files before it is sent (the server checks again, by content).
 */
import { FILE_KINDS, type FileKind } from './types';

interface KindInfo {
  /** How people know it: the format's own name, the same in every language. */
  label: string;
  extensions: readonly string[];
  mime: string;
}

export const FILE_KIND_INFO: Record<FileKind, KindInfo> = {
  pdf: { label: 'PDF', extensions: ['.pdf'], mime: 'application/pdf' },
  png: { label: 'PNG', extensions: ['.png'], mime: 'image/png' },
  jpeg: { label: 'JPEG', extensions: ['.jpg', '.jpeg'], mime: 'image/jpeg' },
  webp: { label: 'WebP', extensions: ['.webp'], mime: 'image/webp' },
  docx: {
    label: 'Word (DOCX)',
    extensions: ['.docx'],
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  xlsx: {
    label: 'Excel (XLSX)',
    extensions: ['.xlsx'],
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  pptx: {
    label: 'PowerPoint (PPTX)',
    extensions: ['.pptx'],
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  },
  odt: { label: 'ODT', extensions: ['.odt'], mime: 'application/vnd.oasis.opendocument.text' },
  ods: { label: 'ODS', extensions: ['.ods'], mime: 'application/vnd.oasis.opendocument.spreadsheet' },
  zip: { label: 'ZIP', extensions: ['.zip'], mime: 'application/zip' },
};

/** The `accept` attribute of a file input for these kinds. */
export function acceptFor(kinds: readonly FileKind[]): string {
  return kinds.flatMap((kind) => [...FILE_KIND_INFO[kind].extensions, FILE_KIND_INFO[kind].mime]).join(',');
}

/** The kind a chosen file seems to be, from its name or its type; the server reads its content. */
export function kindOfFile(file: { name: string; type: string }): FileKind | null {
  const name = file.name.toLowerCase();
  const byName = FILE_KINDS.find((kind) => FILE_KIND_INFO[kind].extensions.some((ext) => name.endsWith(ext)));
  if (byName) return byName;
  return FILE_KINDS.find((kind) => FILE_KIND_INFO[kind].mime === file.type) ?? null;
}

/** One bundle of chosen files, with a new choice added: the same file twice counts once. */
export function addFiles<F extends { name: string; size: number; lastModified: number }>(
  chosen: readonly F[],
  added: readonly F[],
): F[] {
  const key = (f: F) => `${f.name}\u0000${f.size}\u0000${f.lastModified}`;
  const seen = new Set(chosen.map(key));
  const result = [...chosen];
  for (const file of added) {
    if (seen.has(key(file))) continue;
    seen.add(key(file));
    result.push(file);
  }
  return result;
}

export type FileProblem =
  | { code: 'too_many'; max: number }
  | { code: 'too_large'; name: string; max: number }
  | { code: 'wrong_kind'; name: string }
  | { code: 'empty'; name: string };

export interface FileLimits {
  maxFiles: number;
  maxBytes: number;
  allowed: readonly FileKind[];
}

/**
 * What is wrong with a bundle of files before it is sent: too many of them, one too
 * large, empty, or clearly not of an accepted kind. The server checks again, by content.
 */
export function checkFiles(files: readonly { name: string; size: number; type: string }[], limits: FileLimits): FileProblem[] {
  const problems: FileProblem[] = [];
  if (files.length > limits.maxFiles) problems.push({ code: 'too_many', max: limits.maxFiles });
  for (const file of files) {
    const kind = kindOfFile(file);
    if (kind === null || !limits.allowed.includes(kind)) problems.push({ code: 'wrong_kind', name: file.name });
    else if (file.size === 0) problems.push({ code: 'empty', name: file.name });
    else if (file.size > limits.maxBytes) problems.push({ code: 'too_large', name: file.name, max: limits.maxBytes });
  }
  return problems;
}

/** The form a learner hands in: the text answer when there is one, and each file as a `file` part. */
export function submissionForm(body: string, files: readonly File[]): FormData {
  const form = new FormData();
  const text = body.trim();
  if (text) form.append('body', body);
  for (const file of files) form.append('file', file, file.name);
  return form;
}

/** How many files a grade's feedback may carry (the server's limit). */
export const MAX_FEEDBACK_FILES = 5;

/** The form of one file attached to a grade's feedback: a single `file` part. */
export function feedbackFileForm(file: File): FormData {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
}

/** The limit in bytes from a `file_too_large` problem's detail, if it says one. */
export function limitFromDetail(detail: string): number | null {
  const match = /(\d+)\s*bytes/.exec(detail);
  return match ? Number(match[1]) : null;
}

const MIB = 1024 * 1024;

/** Bytes as the megabytes an instructor types (binary megabytes, like the server's limit). */
export function bytesToMb(bytes: number): number {
  return Math.round((bytes / MIB) * 10) / 10;
}

export function mbToBytes(mb: number): number {
  return Math.round(mb * MIB);
}
