/**
 * A percentage as the console prints it: rounded down, never up, so that what is printed agrees with the
 * threshold level (94.99 % is "94.9", below a 95 % critical threshold, not "95.0"). One decimal below 100.
 */
export function percentText(value: number): string {
  const decimals = value >= 100 ? 0 : 1;
  const scale = 10 ** decimals;
  // The epsilon keeps float noise (80.3 * 10 = 802.999…) from dropping a digit.
  return (Math.floor(value * scale + 1e-9) / scale).toFixed(decimals);
}
