from capitolato.cli.app import main

main()
