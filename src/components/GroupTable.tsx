// The educator's group table: several learners' progress files side by side — detection rate per label and
// difficulty, false marks per case, and each learner's weakest area. Presentational; nothing leaves the browser.
import type { GroupTable as Table, Stats } from '../teaching/profile';

const cell = (s: Stats | null) => (s && s.detectionRate !== null ? `${Math.round(s.detectionRate * 100)}% (${s.hits}/${s.findings})` : '—');

export function GroupTable({ table }: { table: Table }) {
  return (
    <table className="profile small" data-testid="group-table">
      <caption className="muted">Detection rate by label and difficulty; false marks per case; weakest area (≥ 3 findings)</caption>
      <thead>
        <tr>
          <th scope="col">Learner</th><th scope="col">Cases</th><th scope="col">Found</th><th scope="col">False / case</th>
          {table.columns.map((c) => <th scope="col" key={`${c.facet}:${c.value}`}>{c.facet === 'difficulty' ? `difficulty ${c.value}` : c.value}</th>)}
          <th scope="col">Weakest</th>
        </tr>
      </thead>
      <tbody>
        {table.rows.map((r) => (
          <tr key={r.learner.id}>
            <th scope="row">{r.learner.name}</th><td>{r.overall.attempts}</td><td>{cell(r.overall)}</td>
            <td>{r.overall.falseMarksPerImage === null ? '—' : r.overall.falseMarksPerImage.toFixed(2)}</td>
            {r.cells.map((s, i) => <td key={i}>{cell(s)}</td>)}
            <td>{r.weakest ? `${r.weakest.facet} ${r.weakest.value}` : '—'}</td>
          </tr>
        ))}
        <tr><th scope="row">Everyone</th><td>{table.total.overall.attempts}</td><td>{cell(table.total.overall)}</td>
          <td>{table.total.overall.falseMarksPerImage === null ? '—' : table.total.overall.falseMarksPerImage.toFixed(2)}</td>
          {table.total.cells.map((s, i) => <td key={i}>{cell(s)}</td>)}<td /></tr>
      </tbody>
    </table>
  );
}
