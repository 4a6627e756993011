// A booking's time on screen: in the zone it was chosen in (its appointment type's), named, with the viewer's own
// time beneath when the viewer is elsewhere. Every time the dashboard shows goes through here or `zonedText`.
import { zonedTimes } from '../format';

export function When({ start, end, zone }: { start: string; end?: string; zone?: string }) {
  const { main, local } = zonedTimes(start, end, zone);
  return (
    <span class="zoned">
      <span class="zoned-main">{main}</span>
      {local && <span class="zoned-local">{local}</span>}
    </span>
  );
}
