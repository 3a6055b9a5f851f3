using System.Diagnostics;
using System.Text;
using DdbCopy.Core.Aws;
using Microsoft.Extensions.Logging;

namespace DdbCopy.Core.Shaping;

/// <summary>
/// The --transform command, started once through the shell: items go to its stdin and come back from its stdout, one
/// DynamoDB JSON line each; every line it writes on stderr is logged. The pipes bound what is in flight: when the job's
/// write queue is full, its output is not read, it stops reading its input, and the feeding waits.
/// </summary>
internal sealed class TransformProcess : IAsyncDisposable
{
    private readonly Process _process;
    private string? _lastMessage;

    private TransformProcess(Process process, string command)
    {
        _process = process;
        Command = command;
        Input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        Output = new StreamReader(process.StandardOutput.BaseStream, new UTF8Encoding(false), false, 1 << 16);
    }

    public string Command { get; }

    public StreamWriter Input { get; }

    public StreamReader Output { get; }

    public bool Exited => _process.HasExited;

    /// <exception cref="DdbCopyException">The command could not be started.</exception>
    public static TransformProcess Start(string command, ILogger logger)
    {
        var info = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.StandardErrorEncoding = Encoding.UTF8;
        var process = new Process { StartInfo = info };
        TransformProcess? started = null;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                started!._lastMessage = line;
                Log.TransformSaid(logger, line);
            }
        };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new DdbCopyException(FailureKind.Environment, $"Cannot start the --transform command '{command}': {ex.Message}", ex);
        }

        started = new TransformProcess(process, command);
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>No more input: the command finishes what it has and ends.</summary>
    public void CloseInput()
    {
        try
        {
            Input.Dispose();
        }
        catch (IOException)
        {
            // It already stopped reading; how it ended is reported from its exit.
        }
    }

    /// <summary>Waits for the command to end; its exit code.</summary>
    public async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>How it ended, for a message: its exit code and the last line it wrote on stderr.</summary>
    public string Ending()
    {
        var exit = _process.HasExited ? $"exited with code {_process.ExitCode}" : "is still running";
        return _lastMessage is null ? exit : $"{exit} (its last message: {_lastMessage})";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }

        _process.Dispose();
    }
}
