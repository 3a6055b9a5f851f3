using System.Runtime.InteropServices;
using System.Text;
using DdbCopy.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace DdbCopy.Core.Storage;

/// <summary>
/// A local file that holds table data (dead letters, rejected records): created readable and writable by its owner
/// only, never through a symbolic link, and appended to only when it already is a regular owner-only file.
/// </summary>
public static partial class OwnerOnlyFile
{
    private const int OpenWriteOnly = 0x1;
    private const int OpenCreate = 0x40;
    private const int OpenAppendFlag = 0x400;
    private static readonly int OpenNoFollow =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
    private const int OpenCloseOnExec = 0x80000;
    private const int OwnerReadWrite = 0x180; // 0600
    private const int NotASymlinkButALoop = 40; // ELOOP: O_NOFOLLOW met a symbolic link.

    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Checks, before anything is written, that <paramref name="path"/> can be created or appended to: its folder
    /// exists and is writable, and it is not a symbolic link, a folder, or a file others may read.
    /// </summary>
    /// <param name="what">What the file is, for the message ("the dead-letter file").</param>
    /// <exception cref="DdbCopyException">A usage error naming the file and what is wrong.</exception>
    public static void CheckWritable(string path, string what)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? "/";
        if (!Directory.Exists(folder))
        {
            throw Refused(what, full, $"its folder {folder} does not exist");
        }

        var info = new FileInfo(full);
        if (info.LinkTarget is not null)
        {
            throw Refused(what, full, "it is a symbolic link (ddbcopy never writes table data through a link)");
        }

        if (Directory.Exists(full))
        {
            throw Refused(what, full, "it is a folder");
        }

        if (info.Exists)
        {
            CheckOwnerOnly(info.UnixFileMode, what, full);
        }

        if (OperatingSystem.IsLinux() && Access(folder, WriteAccess) != 0)
        {
            throw Refused(what, full, $"its folder {folder} is not writable");
        }
    }

    /// <summary>Opens the file for appending (see the class summary for what is refused).</summary>
    public static StreamWriter OpenAppend(string path, string what = "the file")
    {
        var full = Path.GetFullPath(path);
        if (!OperatingSystem.IsLinux())
        {
            CheckWritable(full, what);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new StreamWriter(new FileStream(full, options), new UTF8Encoding(false));
        }

        // Linux: open(2) with O_NOFOLLOW: the check and the open are one step, so a link put in place meanwhile is refused too.
        var descriptor = Open(full, OpenWriteOnly | OpenCreate | OpenAppendFlag | OpenNoFollow | OpenCloseOnExec, OwnerReadWrite);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw error == NotASymlinkButALoop
                ? Refused(what, full, "it is a symbolic link (ddbcopy never writes table data through a link)")
                : new IOException($"Cannot open {full}: {Marshal.GetPInvokeErrorMessage(error)}");
        }

        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            CheckOwnerOnly(File.GetUnixFileMode(handle), what, full);
            return new StreamWriter(new FileStream(handle, FileAccess.Write), new UTF8Encoding(false));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void CheckOwnerOnly(UnixFileMode mode, string what, string full)
    {
        if (!OperatingSystem.IsWindows() && (mode & GroupOrOthers) != 0)
        {
            throw Refused(what, full, "it exists and others may read or write it (ddbcopy appends only to files only their owner can use: chmod 600 it, or name a new file)");
        }
    }

    private static DdbCopyException Refused(string what, string full, string why) =>
        new(FailureKind.Usage, $"Cannot use {full} as {what}: {why}.");

    private const int WriteAccess = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
