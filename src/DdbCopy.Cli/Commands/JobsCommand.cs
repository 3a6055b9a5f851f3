using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DdbCopy.Core.Engine.Checkpoints;

namespace DdbCopy.Cli.Commands;

/// <summary>
/// <c>ddbcopy jobs [--prune]</c>: the jobs whose default checkpoints are in the state folder (source, destination,
/// state, last update), and with --prune the finished ones removed. Checkpoints named with --checkpointFile live where
/// the user put them and are not listed.
/// </summary>
internal static class JobsCommand
{
    private static readonly Option<bool> Prune = new("--prune")
    {
        Description = "Delete the checkpoints (and spools) of finished jobs; running, stopped and failed ones stay for --resume.",
    };

    public static Command Create()
    {
        var command = new Command("jobs",
            "Lists the jobs in the state folder ($XDG_STATE_HOME/ddbcopy, else ~/.local/state/ddbcopy): source, destination, state, last update.")
        {
            Prune, CopyOptions.Output, CopyOptions.LogFormat,
        };
        command.Validators.Add(CopyValidation.Output);
        command.SetAction(async (parse, ct) =>
        {
            var folder = StateFolder.Current;
            var pruned = parse.GetValue(Prune) ? StateJobs.Prune(folder) : [];
            var jobs = StateJobs.List(folder);
            var text = parse.GetValue(CopyOptions.Output) == "json" ? Json(folder, jobs, pruned) : Text(folder, jobs, pruned);
            await Console.Out.WriteAsync(text.AsMemory(), ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Text(string folder, IReadOnlyList<StateJob> jobs, IReadOnlyList<StateJob> pruned)
    {
        var text = new StringBuilder();
        foreach (var job in pruned)
        {
            text.Append("pruned ").Append(Path.GetFileName(job.Path)).Append(" (").Append(Describe(job)).Append(")\n");
        }

        if (jobs.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{"STATE",-9} {"UPDATED (UTC)",-19} {"RUNS",4} {"WRITTEN",10}  JOB\n");
        }

        foreach (var job in jobs)
        {
            var checkpoint = job.Checkpoint;
            text.Append(CultureInfo.InvariantCulture,
                $"{State(job),-9} {(checkpoint?.Updated ?? job.LastWrite).UtcDateTime:yyyy-MM-dd HH:mm:ss} {checkpoint?.Runs ?? 0,4} {checkpoint?.Totals.Written ?? 0,10}  {Describe(job)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"{jobs.Count} job(s) in {folder}\n");
        return text.ToString();
    }

    private static string Json(string folder, IReadOnlyList<StateJob> jobs, IReadOnlyList<StateJob> pruned)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("stateFolder", folder);
            json.WriteStartArray("jobs");
            foreach (var job in jobs)
            {
                json.WriteStartObject();
                json.WriteString("checkpointFile", job.Path);
                json.WriteString("state", State(job));
                json.WriteString("updated", job.Checkpoint?.Updated ?? job.LastWrite);
                if (job.Checkpoint is { } checkpoint)
                {
                    json.WriteString("kind", checkpoint.Job.Kind);
                    json.WriteString("source", checkpoint.Job.Source);
                    json.WriteString("destination", checkpoint.Job.Destination);
                    json.WriteNumber("section", checkpoint.Job.Section);
                    json.WriteNumber("totalSections", checkpoint.Job.TotalSections);
                    json.WriteNumber("runs", checkpoint.Runs);
                    json.WriteNumber("written", checkpoint.Totals.Written);
                }
                else
                {
                    json.WriteString("error", job.Error);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("pruned");
            foreach (var job in pruned)
            {
                json.WriteStringValue(job.Path);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The state as the checkpoint names it (running, stopped, failed, finished; a kill leaves running), or unreadable.</summary>
    private static string State(StateJob job) => job.Checkpoint?.State.ToString().ToLowerInvariant() ?? "unreadable";

    private static string Describe(StateJob job) => job.Checkpoint is { Job: var identity }
        ? $"{identity.Kind} {identity.Source} -> {identity.Destination}{(identity.TotalSections > 1 ? $" (section {identity.Section} of {identity.TotalSections})" : "")}"
        : $"{Path.GetFileName(job.Path)}: {job.Error}";
}
