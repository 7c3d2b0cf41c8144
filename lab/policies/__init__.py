"""Update policies: when a contender's model learns, from which data, and when the result serves."""
