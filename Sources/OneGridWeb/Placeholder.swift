public enum PlaceholderOneGridWeb {}
