# ./tideline validate [FILE]: checks a pipeline definition (default config/tideline.yml) without starting anything:
# every problem with its line, or a summary of what it declares. Exit status 0 valid, 1 not, 2 wrong usage.
build
exec "$JAVA" -cp "$(classpath)" io.tideline.definition.ValidateCommand "$@"
