import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { ParameterField } from '@internal/golden-paths-common';
import { fieldLabel, FormValues } from './parameters';

const ParameterInput = (props: {
  field: ParameterField;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
  disabled?: boolean;
}) => {
  const { field, value, error, onChange, disabled } = props;
  if (field.type === 'boolean') {
    return (
      <div>
        <FormControlLabel
          control={
            <Checkbox
              checked={value === true}
              onChange={event => onChange(event.target.checked)}
              disabled={disabled}
            />
          }
          label={fieldLabel(field)}
        />
        {field.description && (
          <FormHelperText sx={{ mt: -0.5 }}>{field.description}</FormHelperText>
        )}
      </div>
    );
  }
  const numeric = field.type === 'number' || field.type === 'integer';
  return (
    <TextField
      size="small"
      label={fieldLabel(field)}
      required={field.required}
      value={value}
      onChange={event => onChange(event.target.value)}
      error={!!error}
      helperText={error ?? field.description}
      disabled={disabled}
      select={!!field.enum}
      inputProps={numeric ? { inputMode: 'decimal' } : undefined}
      sx={{ maxWidth: 480 }}
    >
      {field.enum?.map((option, index) => (
        <MenuItem key={String(option)} value={String(option)}>
          {field.enumNames?.[index] ?? String(option)}
        </MenuItem>
      ))}
    </TextField>
  );
};

/** The template's new parameters as a form: required ones marked, each with its error. */
export const ParameterForm = (props: {
  fields: ParameterField[];
  values: FormValues;
  errors: Record<string, string>;
  onChange: (name: string, value: string | boolean) => void;
  disabled?: boolean;
}) => (
  <Stack spacing={2} component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
    {props.fields.map(field => (
      <ParameterInput
        key={field.name}
        field={field}
        value={props.values[field.name] ?? ''}
        error={props.errors[field.name]}
        onChange={value => props.onChange(field.name, value)}
        disabled={props.disabled}
      />
    ))}
  </Stack>
);
