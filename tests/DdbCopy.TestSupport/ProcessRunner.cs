using System.Diagnostics;
using System.Text;

namespace DdbCopy.TestSupport;

/// <summary>
/// Runs a process to completion, capturing its output, and kills it (with its children) on timeout, and on every other
/// way out: a test whose <c>whileRunning</c> step throws (a failed assertion while a --follow runs) never leaves it behind.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        Func<Process, Task>? whileRunning = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        TimeSpan? firstOutput = null;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                firstOutput ??= watch.Elapsed;
                stdout.AppendLine(e.Data);
            }
        };
        var errorLines = new List<(TimeSpan, string)>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                    errorLines.Add((watch.Elapsed, e.Data));
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();

        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            if (whileRunning is not null)
            {
                await whileRunning(process);
            }

            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // whileRunning threw: the test fails, the process does not outlive it
                process.WaitForExit();
            }
        }

        watch.Stop();
        process.WaitForExit(); // lets the output events drain
        lock (stderr)
        {
            return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed, timedOut, firstOutput)
            {
                ErrorLines = errorLines.ToList(),
            };
        }
    }
}
