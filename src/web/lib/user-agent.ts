/**
 * A readable name for a browser's User-Agent header: the common browsers and systems only, by hand (no
 * library, no lookup). Anything else is left to the caller, who shows the raw string shortened.
 */

export type DeviceKind = 'phone' | 'tablet' | 'computer';

export interface UserAgentInfo {
  browser: string | undefined;
  os: string | undefined;
  kind: DeviceKind;
}

// Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\b(?:Headless)?Chrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

// iOS before macOS (an iPhone "is like Mac OS X"); Windows Phone before Android (it says both); Android and
// ChromeOS before Linux.
const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b|\biPod\b/, 'iOS'],
  [/\biPad\b/, 'iPadOS'],
  [/\bWindows Phone\b/, 'Windows Phone'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bUbuntu\b/, 'Ubuntu'],
  [/\bFedora\b/, 'Fedora'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

function first(table: [RegExp, string][], ua: string): string | undefined {
  return table.find(([pattern]) => pattern.test(ua))?.[1];
}

export function parseUserAgent(ua: string): UserAgentInfo {
  const os = first(SYSTEMS, ua);
  // Android tablets do not say "Mobile"; iPads say "iPad".
  const kind: DeviceKind =
    os === 'iPadOS' || /\bTablet\b/.test(ua) || (os === 'Android' && !/\bMobile\b/.test(ua))
      ? 'tablet'
      : os === 'iOS' || os === 'Android' || os === 'Windows Phone' || /\bMobi/.test(ua)
        ? 'phone'
        : 'computer';
  return { browser: first(BROWSERS, ua), os, kind };
}

/** The raw header, cut to `max` characters with an ellipsis. */
export function shorten(text: string, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1).trimEnd()}…` : clean;
}
