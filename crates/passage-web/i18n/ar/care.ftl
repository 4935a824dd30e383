# Care: sites and shelter, assistance, incidents and tracing.
