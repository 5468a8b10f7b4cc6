"""Bug and Idea workflow (issue 5): staff status with event lines, votes on ideas,
"I'm affected too" on bugs. OWNER: helper A2. PLACEHOLDER."""
