import { familyOf, isActive, stateColorVar } from "../lib/states";
import type { CSSProperties } from "react";

/** A state's name in its family's colour; pulses while the run is active. */
export function StateBadge({ state, large, title }: { state: string; large?: boolean; title?: string }) {
  const style = { "--c": stateColorVar(state) } as CSSProperties;
  return (
    <span className={`badge${large ? " badge-lg" : ""}`} style={style} title={title ?? familyOf(state)} data-state={state}>
      <span className={`dot${isActive(state) ? " spin" : ""}`} />
      {state}
    </span>
  );
}

export function StateDot({ state, title, still }: { state: string; title?: string; still?: boolean }) {
  const style = { "--c": stateColorVar(state) } as CSSProperties;
  return <span className={`dot${isActive(state) && !still ? " spin" : ""}`} style={style} title={title ?? state} />;
}
