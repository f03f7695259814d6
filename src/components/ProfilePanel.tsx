// The learner's profile: overall detection rate, false marks per case, localisation error and time, and the same per
// label, modality and difficulty, as an accessible table (charts beside it come from the same numbers). Presentational.
import type { Facet, Profile, Stats } from '../teaching/profile';
import { ProfileChart } from './ProfileChart';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));
const FACET_NAMES: [Facet, string][] = [['label', 'Label'], ['modality', 'Modality'], ['anatomy', 'Series / anatomy'], ['difficulty', 'Difficulty']];

function Row({ name, s }: { name: string; s: Stats }) {
  return (
    <tr>
      <th scope="row">{name}</th><td>{s.attempts}</td><td>{pct(s.detectionRate)} <span className="muted">({s.hits}/{s.findings})</span></td>
      <td>{num(s.falseMarksPerImage, 2)}</td><td>{num(s.meanLocalisationErrorMm)}</td><td>{num(s.meanTimeS, 0)}</td>
    </tr>
  );
}

/** `fom`: the JAFROC-style figure of merit over the learner's case attempts (src/teaching/froc.ts), with its variant. */
export function ProfilePanel({ profile, fom }: { profile: Profile; fom?: { value: number | null; variant: string; cases: number } }) {
  if (profile.overall.attempts === 0) return <p className="muted small" data-testid="profile-empty">No answered cases yet.</p>;
  return (
    <section className="panel profile-panel" aria-label="Your progress" data-testid="profile-panel">
      <h2>Your progress</h2>
      <ProfileChart points={profile.byBlock} />
      <ProfileChart points={profile.byBlock} kind="localisation" />
      {fom && fom.value !== null && (
        <p className="small" data-testid="profile-fom" title="Probability that a finding you marked was rated above your most confident false mark on a normal case (Chakraborty's JAFROC figures of merit); 1 is perfect, 0.5 is chance">
          Localisation figure of merit ({fom.variant}, {fom.cases} cases): <strong>{fom.value.toFixed(2)}</strong>
        </p>
      )}
      <table className="profile small" data-testid="profile-table">
        <caption className="muted">Detection rate, false marks per case, localisation error (mm) and time (s)</caption>
        <thead><tr><th scope="col" /><th scope="col">Cases</th><th scope="col">Found</th><th scope="col">False / case</th><th scope="col">Error mm</th><th scope="col">Time s</th></tr></thead>
        <tbody>
          <Row name="All" s={profile.overall} />
          {FACET_NAMES.flatMap(([facet, title]) => profile.facets[facet].map((f) => <Row key={`${facet}:${f.value}`} name={`${title}: ${f.value}`} s={f} />))}
        </tbody>
      </table>
    </section>
  );
}
