// A table's head row: one column header per locale key.
import { t, type MessageKey } from '../i18n';

export function TableHead({ columns }: { columns: readonly MessageKey[] }) {
  return (
    <thead>
      <tr>
        {columns.map((key) => (
          <th key={key} scope="col">
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
}
