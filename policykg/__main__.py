from policykg.graph.cli import main

main()
