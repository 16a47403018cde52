"""FlaskForms, one per step of a flow."""
