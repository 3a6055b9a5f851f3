using System.Runtime.InteropServices;
using System.Text;
using DdbCopy.Core.Aws;
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
    private const int OpenTruncate = 0x200;
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

        return new StreamWriter(new FileStream(OpenOwnerOnly(full, OpenWriteOnly | OpenCreate | OpenAppendFlag, what), FileAccess.Write), new UTF8Encoding(false));
    }

    /// <summary>
    /// Opens a file of table data that is not a log (a spool segment): never through a symbolic link, created 0600,
    /// an existing one only when only its owner can use it. <paramref name="truncate"/> empties it.
    /// </summary>
    public static FileStream OpenStream(string path, FileAccess access, bool create, bool truncate, string what = "the file")
    {
        var full = Path.GetFullPath(path);
        if (!OperatingSystem.IsLinux())
        {
            if (new FileInfo(full).LinkTarget is not null)
            {
                throw Refused(what, full, "it is a symbolic link (ddbcopy never writes table data through a link)");
            }

            var options = new FileStreamOptions
            {
                Mode = truncate ? (create ? FileMode.Create : FileMode.Truncate) : create ? FileMode.OpenOrCreate : FileMode.Open,
                Access = access,
                Share = FileShare.ReadWrite | FileShare.Delete,
            };
            if (!OperatingSystem.IsWindows() && create)
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new FileStream(full, options);
        }

        var flags = (access switch { FileAccess.Read => 0, FileAccess.Write => OpenWriteOnly, _ => 2 })
            | (create ? OpenCreate : 0) | (truncate ? OpenTruncate : 0);
        return new FileStream(OpenOwnerOnly(full, flags, what), access);
    }

    /// <summary>
    /// Linux: open(2) with O_NOFOLLOW (the check and the open are one step, so a link put in place meanwhile is refused
    /// too), created 0600; an existing file only when only its owner may use it.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static SafeFileHandle OpenOwnerOnly(string full, int flags, string what)
    {
        var descriptor = Open(full, flags | OpenNoFollow | OpenCloseOnExec, OwnerReadWrite);
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
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A folder for files of table data: created 0700 when missing; refused when it is a symbolic link or others may
    /// write to it (they could put a link in it, or replace its files).
    /// </summary>
    public static void EnsureFolder(string path, string what)
    {
        var full = CheckFolder(path, what);
        if (!Directory.Exists(full))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>The checks of <see cref="EnsureFolder"/>, made before anything changes (a missing folder is fine); its full path.</summary>
    public static string CheckFolder(string path, string what)
    {
        var full = Path.GetFullPath(path);
        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null)
        {
            throw Refused(what, full, "it is a symbolic link (ddbcopy never writes table data through a link)");
        }

        if (File.Exists(full))
        {
            throw Refused(what, full, "it is a file, not a folder");
        }

        if (info.Exists && !OperatingSystem.IsWindows() && (info.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw Refused(what, full, "others may write to it (chmod 700 it, or name a new folder)");
        }

        if (info.Exists && info.EnumerateFileSystemInfos().FirstOrDefault(e => e.LinkTarget is not null) is { } link)
        {
            throw Refused(what, full, $"it holds a symbolic link ({link.Name}; ddbcopy never writes table data through a link)");
        }

        return full;
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
