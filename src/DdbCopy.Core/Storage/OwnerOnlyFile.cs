using System.Text;

namespace DdbCopy.Core.Storage;

/// <summary>Opens a local file that holds table data for appending, created readable and writable by its owner only.</summary>
public static class OwnerOnlyFile
{
    public static StreamWriter OpenAppend(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new StreamWriter(new FileStream(path, options), new UTF8Encoding(false));
    }
}
