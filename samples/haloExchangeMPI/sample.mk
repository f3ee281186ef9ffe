# haloExchangeMPI: an MPI program built by mcc with OpenMPI's flags; left
# out when OpenMPI is not installed.
# .mu files are C++: OpenMPI's C++ bindings (libmpi_cxx) are left out
HALO_MPI_FLAGS = -DOMPI_SKIP_MPICXX -DMPICH_SKIP_MPICXX $(shell $(MPICC) --showme:compile) \
	$(shell $(MPICC) --showme:link)
ifeq ($(MPICC),)
SAMPLE_BINS := $(filter-out $(B)/samples/haloExchangeMPI,$(SAMPLE_BINS))
else
$(B)/samples/haloExchangeMPI: samples/haloExchangeMPI/haloExchangeMPI.mu $(TOOLCHAIN)
	@mkdir -p $(dir $@)
	@echo "  MCC     $@"
	$(Q)$(MCC_RUN) -O2 $< -o $@ $(HALO_MPI_FLAGS)
endif
