/** The few line icons the UI uses, drawn on a 20x20 grid with the current colour. */
import type { SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function Icon({ size = 18, children, ...rest }: IconProps) {
  return (
    <svg width={size} height={size} viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.7}
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...rest}>
      {children}
    </svg>
  );
}

export const IconDashboard = (p: IconProps) => (
  <Icon {...p}><rect x="3" y="3" width="6" height="8" rx="1.5" /><rect x="11" y="3" width="6" height="5" rx="1.5" /><rect x="11" y="10" width="6" height="7" rx="1.5" /><rect x="3" y="13" width="6" height="4" rx="1.5" /></Icon>
);
export const IconFlows = (p: IconProps) => (
  <Icon {...p}><circle cx="5" cy="5" r="2" /><circle cx="5" cy="15" r="2" /><circle cx="15" cy="10" r="2" /><path d="M7 5h2a3 3 0 0 1 3 3v0a2 2 0 0 0 1 1.7M7 15h2a3 3 0 0 0 3-3v0a2 2 0 0 1 1-1.7" /></Icon>
);
export const IconAgents = (p: IconProps) => (
  <Icon {...p}><rect x="4" y="4" width="12" height="12" rx="2" /><rect x="7.5" y="7.5" width="5" height="5" rx="1" /><path d="M8 1.5V4M12 1.5V4M8 16v2.5M12 16v2.5M1.5 8H4M1.5 12H4M16 8h2.5M16 12h2.5" /></Icon>
);
export const IconProjects = (p: IconProps) => (
  <Icon {...p}><path d="M2.5 6.5a2 2 0 0 1 2-2h3.2l1.8 2h6a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2h-11a2 2 0 0 1-2-2z" /></Icon>
);
export const IconRuns = (p: IconProps) => (
  <Icon {...p}><path d="M3 4.5h7M6 10h9M3 15.5h11" /><path d="M17 3v14" strokeDasharray="1.5 2" /></Icon>
);
export const IconCode = (p: IconProps) => (
  <Icon {...p}><path d="M7 6l-4 4 4 4M13 6l4 4-4 4M11 4l-2 12" /></Icon>
);
export const IconSun = (p: IconProps) => (
  <Icon {...p}><circle cx="10" cy="10" r="3.2" /><path d="M10 2v1.8M10 16.2V18M2 10h1.8M16.2 10H18M4.3 4.3l1.3 1.3M14.4 14.4l1.3 1.3M4.3 15.7l1.3-1.3M14.4 5.6l1.3-1.3" /></Icon>
);
export const IconMoon = (p: IconProps) => (
  <Icon {...p}><path d="M16.5 12.5A7 7 0 0 1 7.5 3.5a7 7 0 1 0 9 9z" /></Icon>
);
export const IconMonitor = (p: IconProps) => (
  <Icon {...p}><rect x="2.5" y="3.5" width="15" height="10" rx="1.5" /><path d="M7 17h6M10 13.5V17" /></Icon>
);
export const IconSearch = (p: IconProps) => (
  <Icon {...p}><circle cx="9" cy="9" r="5.5" /><path d="M13 13l4 4" /></Icon>
);
export const IconPlay = (p: IconProps) => (
  <Icon {...p}><path d="M6 4.5v11l9-5.5z" fill="currentColor" strokeWidth={1.2} /></Icon>
);
export const IconStop = (p: IconProps) => (
  <Icon {...p}><rect x="5" y="5" width="10" height="10" rx="1.5" /></Icon>
);
export const IconRestart = (p: IconProps) => (
  <Icon {...p}><path d="M3.5 10a6.5 6.5 0 1 0 2-4.7M3.5 3.5v3h3" /></Icon>
);
export const IconTrash = (p: IconProps) => (
  <Icon {...p}><path d="M3.5 5.5h13M8 5.5V3.5h4v2M5.5 5.5l.8 11h7.4l.8-11" /></Icon>
);
export const IconDownload = (p: IconProps) => (
  <Icon {...p}><path d="M10 3v10M6 9l4 4 4-4M4 16.5h12" /></Icon>
);
export const IconChevron = (p: IconProps) => (
  <Icon {...p}><path d="M7.5 5l5 5-5 5" /></Icon>
);
export const IconCopy = (p: IconProps) => (
  <Icon {...p}><rect x="7" y="7" width="10" height="10" rx="2" /><path d="M13 7V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h2" /></Icon>
);
export const IconAlert = (p: IconProps) => (
  <Icon {...p}><path d="M10 3l8 14H2z" /><path d="M10 8.5v3.5M10 14.5v.2" /></Icon>
);
export const IconClock = (p: IconProps) => (
  <Icon {...p}><circle cx="10" cy="10" r="7" /><path d="M10 6v4l2.5 2" /></Icon>
);
export const IconPlus = (p: IconProps) => (
  <Icon {...p}><path d="M10 4v12M4 10h12" /></Icon>
);
export const IconFit = (p: IconProps) => (
  <Icon {...p}><path d="M3 7V3h4M17 7V3h-4M3 13v4h4M17 13v4h-4" /></Icon>
);
export const IconExternal = (p: IconProps) => (
  <Icon {...p}><path d="M11 3h6v6M17 3l-8 8M15 12v4a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1h4" /></Icon>
);
export const IconBell = (p: IconProps) => (
  <Icon {...p}><path d="M5 14V9a5 5 0 0 1 10 0v5l1.5 2h-13zM8.5 17.5a1.8 1.8 0 0 0 3 0" /></Icon>
);
export const IconInbox = (p: IconProps) => (
  <Icon {...p}><path d="M2.5 11l2.2-6.5h10.6l2.2 6.5v4.5a1 1 0 0 1-1 1h-13a1 1 0 0 1-1-1z" /><path d="M2.5 11h4l1 2h5l1-2h4" /></Icon>
);
export const IconGauge = (p: IconProps) => (
  <Icon {...p}><path d="M3 14a7 7 0 1 1 14 0" /><path d="M10 14l3.5-4" /><circle cx="10" cy="14" r="1" /></Icon>
);
export const IconLock = (p: IconProps) => (
  <Icon {...p}><rect x="4" y="9" width="12" height="8.5" rx="1.8" /><path d="M6.8 9V6.5a3.2 3.2 0 0 1 6.4 0V9" /></Icon>
);
export const IconList = (p: IconProps) => (
  <Icon {...p}><path d="M7.5 5.5h9M7.5 10h9M7.5 14.5h9" /><circle cx="4" cy="5.5" r=".9" /><circle cx="4" cy="10" r=".9" /><circle cx="4" cy="14.5" r=".9" /></Icon>
);
export const IconUsers = (p: IconProps) => (
  <Icon {...p}><circle cx="7.5" cy="7" r="2.8" /><path d="M2.5 16.5a5 5 0 0 1 10 0" /><path d="M13 4.6a2.8 2.8 0 0 1 0 5.2M14.5 12.3a5 5 0 0 1 3 4.2" /></Icon>
);
export const IconKey = (p: IconProps) => (
  <Icon {...p}><circle cx="6.5" cy="13.5" r="3.5" /><path d="M9 11l7.5-7.5M14 6l2 2M12 8l1.5 1.5" /></Icon>
);
export const IconLogout = (p: IconProps) => (
  <Icon {...p}><path d="M8 3.5H5a1.5 1.5 0 0 0-1.5 1.5v10A1.5 1.5 0 0 0 5 16.5h3M12.5 13.5L16 10l-3.5-3.5M16 10H7.5" /></Icon>
);
export const IconSend = (p: IconProps) => (
  <Icon {...p}><path d="M17 3L8.5 11.5M17 3l-5 14-3.5-5.5L3 8z" /></Icon>
);
