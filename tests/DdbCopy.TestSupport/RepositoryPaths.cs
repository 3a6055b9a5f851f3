namespace DdbCopy.TestSupport;

/// <summary>Finds the repository root (the folder with DdbCopy.sln) and its git-ignored tools folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Tools => Path.Combine(Root, ".tools");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DdbCopy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DdbCopy.sln not found above {AppContext.BaseDirectory}.");
    }
}
