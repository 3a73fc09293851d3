"""The data set: the contract, the calendar, reading and checking an export, and loading it."""
