// What every lab module provides: its name and its component (built from lab-view.tsx), given
// the labs' handle on the engine.
import type { FunctionComponent } from 'preact';
import type { LabName } from '../../routes';
import type { LabClient } from './lab-client';

export interface LabContext {
  client: LabClient;
}

export interface LabDefinition {
  name: LabName;
  View: FunctionComponent<LabContext>;
}
