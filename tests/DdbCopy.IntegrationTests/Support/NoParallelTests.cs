// One test class at a time, in every collection: the suite times copies from outside (budgets, spans, what a kill
// leaves unsettled), and on two cores a class outside the DynamoDB collection running beside them (the MariaDB
// replication client's, the CLI's usage errors) made them slower than their bounds (CI, 2026-12-06: a 20 s copy took
// 26 s, a resume read 1,750 items again where 500-700 is usual). Serial costs about 20 s a pass.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
