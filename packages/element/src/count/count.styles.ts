import { css } from 'lit';

export const countStyles = css`
  :host {
    display: inline;
  }
`;
