"""Teams adapter."""
