// Pure text formatting for the UI (unit-tested, no DOM).
import { t, type Locale } from '../i18n';
import type { BackendInfo } from '../worker/protocol';

/** "wasm-threads · 2 threads · SIMD" / "wasm-simd · 1 hilo · SIMD" */
export function formatBackend(info: Pick<BackendInfo, 'variant' | 'threads' | 'simd'>, locale: Locale): string {
  const threadWord = t(info.threads === 1 ? 'backend.thread' : 'backend.threads', locale);
  return [info.variant, `${info.threads} ${threadWord}`, info.simd ? 'SIMD' : undefined].filter(Boolean).join(' · ');
}
