/** What a reader should know about how complete a trace is. */

import type { ParsedTrace, SnapshotRecord } from '../../format';

export function collectNotes(trace: ParsedTrace, finalSnapshot: SnapshotRecord | undefined, orphans: number, live = false): string[] {
  const notes: string[] = [];
  // While the process runs, a partial last record is only the one it is writing.
  if (trace.cut && !(live && !finalSnapshot)) notes.push(`the trace was cut: ${trace.cut.reason}; showing what was recorded before it`);
  if (trace.dropped && trace.dropped.events > 0) {
    notes.push(`${trace.dropped.events} events were not recorded (${trace.dropped.reason}); some frames may be missing`);
  }
  if (!finalSnapshot && live) {
    notes.push(`the process (pid ${trace.header.pid}) is still running: this is its state now, and pending frames are still waiting`);
  } else if (!finalSnapshot) {
    notes.push('no final snapshot (the process is still running, or was killed): frames that never ended are shown as pending');
  } else if (finalSnapshot.omittedFrames > 0) {
    notes.push(`the final snapshot left out ${finalSnapshot.omittedFrames} pending frames (capped); they show as unknown`);
  }
  if (orphans > 0) notes.push(`${orphans} frames started under a parent that is not in the trace; they are grouped in task #0`);
  for (const w of trace.warnings) notes.push(w);
  return notes;
}
